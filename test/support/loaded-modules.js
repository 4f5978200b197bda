// Preloaded into an API process by a test (NODE_OPTIONS=--require this file): answers the
// message { loadedModules: true } with every file the process has loaded so far. Files loaded by
// a dynamic import() are in require.cache too: CommonJS modules imported are cached there.
process.on('message', (message) => {
  if (message && message.loadedModules) {
    process.send({ loadedModules: Object.keys(require.cache) });
  }
});
// Listening must not keep a process alive that would otherwise end.
process.channel?.unref();
