"""What the tests share: checks of each format's output by tools that did not
write it, the npm packages some of them run, the fuzzer of the hostile corpus
and plugins registered for a while. Importable as ``helpers`` (``pythonpath``
in pyproject.toml puts ``tests/`` on the path); see ``tests/README.md``."""
