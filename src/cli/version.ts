/** The package version the `gonka` command reports (a test keeps it equal to package.json). */
export const VERSION = "0.1.0";
