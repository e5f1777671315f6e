#!/usr/bin/env node
/** The `gonka` command line. */
console.log("gonka: work in progress");
