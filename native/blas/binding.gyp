{
  "targets": [
    {
      "target_name": "taan_blas",
      "sources": ["src/taan_blas.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I openblas | sed -e 's/-I//g')"
      ],
      "libraries": ["<!@(pkg-config --libs openblas)"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-ffp-contract=off"],
      "cflags_cc!": ["-O2"]
    }
  ]
}
