"""Search: the engine interface, the engines, and the static index the browser reads."""
