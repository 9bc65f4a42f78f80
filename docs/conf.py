"""Sphinx configuration for skpoison (offline: no intersphinx)."""

import os
import sys
from pathlib import Path

import skpoison

sys.path.insert(0, str(Path(__file__).parent.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

project = "skpoison"
author = "The skpoison developers"
copyright = "2026, The skpoison developers"
version = release = skpoison.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
html_theme = "pydata_sphinx_theme"
html_static_path = ["_static"]
html_theme_options = {"navigation_with_keys": False}

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# The docs build offline: no inventories can be fetched, so references to
# other projects' objects stay unresolved text. Everything of our own must
# resolve (nitpicky), and only these external targets are tolerated.
intersphinx_mapping = {}
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(sklearn|numpy|np|scipy|imblearn|matplotlib|pandas|joblib|dask)(\..*)?",
    ),
    # numpydoc type vocabulary ("array-like of shape (n, d)", "int", ...).
    (r"py:.*", r"(array-like|array|ndarray|int|float|bool|str|dict|list|tuple|None"
               r"|callable|object|estimator|estimator instance|iterable|generator"
               r"|RandomState instance|DataFrame|Series|Bunch|Axes|Figure|path-like)"),
    (r"py:class", r"(default|shape|optional|of|or)\b.*"),
    (r"py:class", r"Tags"),
]

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "plot_gallery": "True",
    "min_reported_time": 5,
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("skpoison",),
}
