"""The address a Netlify build will be served at, from Netlify's own build environment.

Netlify sets ``NETLIFY=true`` in its builds, ``CONTEXT`` to the kind of
deploy (``production``, ``deploy-preview``, ``branch-deploy``, or ``dev``
for ``netlify dev`` on a laptop), ``URL`` to the site's main address (its
custom domain once it has one) and ``DEPLOY_PRIME_URL`` to the address of a
preview or branch deploy (https://docs.netlify.com/configure-builds/environment-variables/).
So a deploy needs no ``KILN_BASE_URL``: canonical links, feeds and the
sitemap of a deploy preview point at the preview, those of production at the site.
"""

from __future__ import annotations

from collections.abc import Mapping

# the variable holding the address of each kind of deploy
ADDRESS_OF = {"production": "URL", "deploy-preview": "DEPLOY_PRIME_URL", "branch-deploy": "DEPLOY_PRIME_URL"}


def base_url(environ: Mapping[str, str]) -> str | None:
    """The deploy's address on a Netlify build, or None elsewhere."""
    name = ADDRESS_OF.get(environ.get("CONTEXT", ""))
    if environ.get("NETLIFY") != "true" or name is None:
        return None
    return environ.get(name) or None


def production(environ: Mapping[str, str]) -> bool:
    """Whether this is Netlify building the site that goes live."""
    return environ.get("NETLIFY") == "true" and environ.get("CONTEXT") == "production"
