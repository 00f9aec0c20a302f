"""The built-in formats and kinds, registered as plugins like anyone's."""
