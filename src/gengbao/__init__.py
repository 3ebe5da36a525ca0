"""gengbao (耕保): farmland protection supervision platform."""

__version__ = "0.1.0"
