"""newslens: compare how news outlets cover one story, every number traceable to its sentence."""
from .corpus import Corpus, load_corpus
from .errors import CorpusError, NewslensError, ParameterError

__version__ = "0.1.0"
__all__ = ["Corpus", "load_corpus", "NewslensError", "CorpusError", "ParameterError", "__version__"]
