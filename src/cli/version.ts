export { PACKAGE_ROOT, VERSION } from '../package-root.js';
