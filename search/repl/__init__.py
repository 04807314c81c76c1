"""The interactive console: a thin layer over :class:`search.Engine`."""
