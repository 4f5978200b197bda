// `npm run migrate|import|token|emit-schema`: build if needed, then run the command.
const { buildIfNeeded } = require('./build-if-needed');
buildIfNeeded();
require('../dist/src/cli.js');
