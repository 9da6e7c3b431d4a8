"""Package discovery for setuptools (everything else is in pyproject.toml).

cli/, migrations/ and seeds/ are top-level folders in the repository but
install inside the one ``quotes`` namespace, so a pip install never ships a
top-level package called ``cli``. pyproject's ``packages.find`` cannot mount a
folder under another name, so the packages are discovered here: every folder
below each mount point, never a hand-written list. Folders that hold only data
(the web app's templates and static files) are namespace packages, so their
files ship as package data without a build warning.
"""

from setuptools import find_namespace_packages, setup

#: installed package name -> folder in the repository
MOUNTS = {
    "quotes": "quotes",
    "quotes.cli": "cli",
    "quotes.migrations": "migrations",
    "quotes.seeds": "seeds",
}

packages: list[str] = []
for package, folder in MOUNTS.items():
    packages.append(package)
    packages += [
        f"{package}.{sub}"
        for sub in find_namespace_packages(folder, exclude=["__pycache__", "*.__pycache__"])
    ]

setup(packages=packages, package_dir=MOUNTS)
