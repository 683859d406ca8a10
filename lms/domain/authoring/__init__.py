"""Trainers' tools: editing courses, lessons and quizzes in the browser, question import (GIFT/Aiken), export as files, lesson pictures, question statistics."""
