"""E-mail and in-portal notifications: the outbox every e-mail goes through, and each user's notification list.

An e-mail is a row (`OutgoingMail`) written in the same transaction as the change it tells of (`queue_mail`);
the background worker sends it (a task queued on commit, and the `send_mail` job every 30 s for what is due
again), retrying with back-off while the mail server refuses or is down: nothing is lost. A notification is a
row per user (`notify`); the menu shows each user's unread count from a counter on the user row, so no page
pays a query for it."""
