"""The rules backend's extractor: English news patterns over gazetteers, no model.

Reading order, one module per step:

- ``lexicon``  — the word lists in ``data/`` (countries.toml, organisations.toml,
  lexicon.toml, each documented in its header), compiled once; their hash is the backend's
  prompt_version;
- ``text``     — sentences and items (gazetteer phrases, names, words) with offsets;
- ``actors``, ``mentions`` — people with titles, states, organisations, pronouns, role nouns;
- ``discourse`` — the article read once: subjects of verbs, speech events, pronoun resolution;
- ``quotemarks``, ``quotes`` — quoted passages and their speakers;
- ``meetings``, ``positions`` — the other two record kinds;
- ``records``  — findings to ``briefing.schemas`` records, evidence sliced from the article.
"""
