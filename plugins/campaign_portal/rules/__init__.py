"""The portal's rules, each in one place: URLs, ids (slugs), email addresses, publish moments, dates.

Pure functions of the model: no MkDocs, no I/O. Pages, feeds, calendars, templates and the
loader ask here instead of working a rule out again.
"""
