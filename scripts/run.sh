#!/usr/bin/env bash
# Quick start: set up, refresh the bundled demo reports into DuckDB, open the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PRESENCE_DB=${PRESENCE_DB:-data/presence.duckdb}
.venv/bin/python -m etl refresh --reports data/reports --db "$PRESENCE_DB"
exec .venv/bin/streamlit run dashboard.py --server.address 127.0.0.1 --server.port "${PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
