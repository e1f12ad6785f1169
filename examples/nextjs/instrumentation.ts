// Runs once when the server process starts: load the engine then, so the
// first buyer does not wait for the catalog and model to load.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { getEngine } = await import('./lib/engine')
  try {
    getEngine()
  } catch (e) {
    // Not fatal here: the route handler tries again and reports the error per request.
    console.error('@mira/core: could not load the engine at start-up:', e)
  }
}
