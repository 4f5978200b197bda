// `npm start`: build if needed, then serve (embedded PostgreSQL and store unless configured).
const { buildIfNeeded } = require('./build-if-needed');
buildIfNeeded();
require('../dist/src/main.js');
