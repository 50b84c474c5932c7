"""What the unit tests and the browser tests share: the seed's event value and the shape of an event call."""

# The seed's example: the Download button's event (RTP_API.md, "The seed's own example").
WHITEPAPER = "download - example whitepaper"


def sent(value):
    """The arguments of the `rtp` call that sends the event `value`."""
    return ("send", "event", {"value": value})


def event(value):
    """The same, as a browser test reads it back from the page (JSON: a list)."""
    return list(sent(value))
