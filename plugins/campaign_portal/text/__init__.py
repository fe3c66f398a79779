"""Text from campaign files: Markdown to safe HTML and plain text (``markdown``), message templates (``templates``)."""
