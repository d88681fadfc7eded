const startedAt = Date.now();

function elapsed() {
  return `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s`;
}

/** One line of progress, stamped with the seconds since the benchmark started. */
export function say(message) {
  process.stdout.write(`[${elapsed()}] ${message}\n`);
}

/** Reports a long count at every tenth of the way, so a slow seed is visibly moving. */
export function counter(label, total) {
  let nextReport = total / 10;
  return (done) => {
    if (done < nextReport && done < total) return;
    say(`${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`);
    while (nextReport <= done) nextReport += total / 10;
  };
}
