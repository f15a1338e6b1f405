// Shared by the streams and http-status benchmark children: peak RSS, and
// printing a standalone script's one JSON line (with peak RSS added).

export function peakRssMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function report(result) {
  console.log(JSON.stringify({ ...result, peakRssMb: peakRssMb() }));
}
