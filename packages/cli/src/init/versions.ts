/** The release of the @claw packages a scaffold depends on (as a caret range). */
export const CLAW_PACKAGE_VERSION = '0.1.0';
