"""Static files: whitenoise's compressed, hashed files, with ES module imports rewritten too."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names inside `import … from "./x.js"` as well as in CSS.

    The kiosk's modules import each other; without this a module would load its
    neighbours by their unhashed names, which the service worker does not keep
    and which a release could change underneath a running kiosk.
    """

    support_js_module_import_aggregation = True
