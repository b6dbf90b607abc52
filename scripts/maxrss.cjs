// Preloaded (node --require) by the benchmark: reports the process's peak memory when it exits.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
