"""Each user's notification list (`/notifications/`): newest first, unread marked, read one or all (POST)."""
