"""Renders the Janus configuration templates in this folder into a target folder.

Usage: python config/janus/render.py OUTPUT_DIR   (values come from the environment)
"""

import os
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent

DEFAULTS = {
    # Debian installs plugins under the multiarch folder, e.g. /usr/lib/x86_64-linux-gnu/janus.
    "JANUS_LIB_DIR": next((str(p) for p in Path("/usr/lib").glob("*/janus")), "/usr/lib/janus"),
    "JANUS_DEBUG_LEVEL": "4",
    "JANUS_HTTP_PORT": "8088",
    "JANUS_ADMIN_PORT": "7088",
    "JANUS_WS_PORT": "8188",
    "JANUS_RTP_PORT_RANGE": "20000-40000",
    "JANUS_SIP_RTP_PORT_RANGE": "40001-41000",  # plain RTP towards SIP peers
}
REQUIRED = ("JANUS_API_SECRET", "JANUS_ADMIN_SECRET", "JANUS_ROOM_ADMIN_KEY")


def render(output: Path, environ: dict) -> None:
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        sys.exit(f"render.py: set {', '.join(missing)}")
    values = {**DEFAULTS, **{k: v for k, v in environ.items() if k.startswith("JANUS_")}}
    values["JANUS_CONFIG_DIR"] = str(output)
    enforce = values.get("JANUS_ICE_ENFORCE_LIST", "")
    values["JANUS_ICE_ENFORCE_LINE"] = f'ice_enforce_list = "{enforce}"' if enforce else ""
    sip_ip = values.get("JANUS_SIP_LOCAL_IP", "")
    values["JANUS_SIP_LOCAL_IP_LINE"] = f'local_ip = "{sip_ip}"' if sip_ip else ""
    nat = values.get("JANUS_NAT_1_1_MAPPING", "")
    values["JANUS_NAT_1_1_LINE"] = f'nat_1_1_mapping = "{nat}"' if nat else ""
    output.mkdir(parents=True, exist_ok=True)
    for template in HERE.glob("*.jcfg"):
        target = output / template.name
        tmp = target.with_suffix(".tmp")
        tmp.write_text(Template(template.read_text()).substitute(values))
        tmp.chmod(0o600)
        tmp.replace(target)


if __name__ == "__main__":
    render(Path(sys.argv[1]).resolve(), dict(os.environ))
