"""gengbao layer."""
