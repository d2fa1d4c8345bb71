/**
 * Compares what reading the archive back found with what was meant to go in: a partial or
 * corrupt archive is never uploaded.
 */
export function checkReadBack(found: Map<string, number>, expected: Map<string, number>): void {
  const problems: string[] = [];
  for (const [name, size] of expected) {
    const actual = found.get(name);
    if (actual === undefined) problems.push(`${name} is missing`);
    else if (actual !== size) problems.push(`${name} has ${actual} bytes, expected ${size}`);
  }
  for (const name of found.keys()) {
    if (!expected.has(name)) problems.push(`${name} was not expected`);
  }
  if (problems.length > 0) {
    throw new Error(`the archive does not match its manifest: ${problems.slice(0, 5).join('; ')}`);
  }
}
