"""After `cargo publish --workspace --dry-run`: every workspace crate that a packaged crate's
Cargo.lock names must be the crate we just packaged (same sha256), never a crates.io crate that
happens to share its name and version."""
import hashlib
import pathlib
import sys
import tomllib

root = pathlib.Path(sys.argv[1])
ours = {}
for crate in sorted((root / "tmp-crate").glob("*.crate")):
    name, version = crate.stem.rsplit("-", 1)
    ours[(name, version)] = hashlib.sha256(crate.read_bytes()).hexdigest()
if not ours:
    sys.exit(f"no packaged crates under {root}/tmp-crate")
checked = 0
for (name, version) in ours:
    lock = root / f"{name}-{version}" / "Cargo.lock"
    if not lock.exists():
        continue
    for package in tomllib.loads(lock.read_text())["package"]:
        key = (package["name"], package["version"])
        if key in ours and "checksum" in package:
            checked += 1
            if package["checksum"] != ours[key]:
                sys.exit(f"{name}'s Cargo.lock resolves {key[0]} {key[1]} to a crate that is not ours")
print(f"packaged: {', '.join(f'{n} {v}' for n, v in sorted(ours))}; {checked} workspace dependencies resolve to our own packages")
