"""The version of newslens: the one place it is written. pyproject.toml reads it (statically) for the
package, `newslens --version` prints it and `newslens.__version__` repeats it; CITATION.cff and the latest
CHANGELOG.md entry are tested to agree with it."""
VERSION = "0.1.0"
