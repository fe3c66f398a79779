"""File formats, bytes only: RSS 2.0 and JSON Feed 1.1 (``feeds``), iCalendar (``calendar``), email drafts (``eml``).

Writers import nothing of the package but the model, and no clock: the same input gives the
same bytes. What goes into a file (which items, which text) is decided in ``site``.
"""
