"""What every app may import, and what imports no app of ours: the access model, the admin base, file serving, the
PDF engine, formatting, the spreadsheet guard, the list-export base, form widgets and pagination."""
