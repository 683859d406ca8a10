"""Work someone must finish by a date: assigning (one person or an audience, once), refreshers after major course revisions, due-soon and overdue reminders."""
