#!/usr/bin/env node
// A checked-in launcher, so package managers can link `colz` before dist/ is built.
import { main } from "../dist/index.js";

process.exitCode = await main(process.argv.slice(2));
