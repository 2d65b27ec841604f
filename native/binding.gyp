{
  # Optional native core (issue 8). Built on the machine that runs it, so -march=native is safe there;
  # set BLOOMCOIN_PORTABLE=1 to build a file that also runs on older CPUs (SHA-NI is still picked at run time).
  "variables": {
    "portable%": "<!(node -p \"process.env.BLOOMCOIN_PORTABLE ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "bloomcoin_native",
      "sources": ["src/addon.cc", "src/sha256.cc", "src/phase.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-O2", "-O1", "-O0"],
      "cflags_cc!": ["-O2", "-O1", "-O0", "-fno-exceptions"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["portable==0", { "cflags_cc": ["-march=native"] }]
      ]
    }
  ]
}
