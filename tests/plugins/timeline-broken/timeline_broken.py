"""A plugin that cannot be imported."""

raise ImportError("this plugin needs a module that is not installed")
