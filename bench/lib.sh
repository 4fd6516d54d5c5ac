# Shared by the benchmarks (sourced, not run).

# A generated document of exactly N chunks at the submit tool's default 3,500 tokens per chunk:
# paragraphs of 1,800-1,880 characters (~460 estimated tokens), 7 per chunk: 7 of them fit the
# budget, 8 (14,400 characters, 3,600 tokens) would not. SEED varies the text between documents.
generate() {
  local chunks="$1" seed="${2:-42}"
  awk -v paragraphs="$((chunks * 7))" -v seed="$seed" 'BEGIN {
    split("river harbour lantern orchard engine meadow letter window market bridge winter signal " \
          "harvest compass garden thunder library village mirror ladder", nouns, " ");
    split("carries follows remembers answers gathers crosses measures repairs watches opens", verbs, " ");
    split("quiet distant careful patient narrow golden heavy early simple silver", adjs, " ");
    srand(seed);
    for (p = 1; p <= paragraphs; p++) {
      text = "";
      while (length(text) < 1800) {
        s = "The " adjs[int(rand() * 10) + 1] " " nouns[int(rand() * 20) + 1] " " verbs[int(rand() * 10) + 1] \
            " the " nouns[int(rand() * 20) + 1] " before the " adjs[int(rand() * 10) + 1] " " nouns[int(rand() * 20) + 1] ".";
        text = text (text == "" ? "" : " ") s;
      }
      printf "%s\n\n", text;
    }
  }'
}

# A free TCP port on 127.0.0.1 (node is one of the three things a fresh clone needs).
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
