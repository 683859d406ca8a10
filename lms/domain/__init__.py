"""The rules of the academy, free of Flask.

Each module takes a Session and leaves the commit to its caller.
"""
