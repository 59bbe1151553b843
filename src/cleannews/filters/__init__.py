"""Built-in filters.  Each module holds one filter class; see :mod:`cleannews.registry`."""
