export { CLOUDS, type Cloud, type CloudId } from './cloud-table.js';
export { allCloudHosts, cloudNames, cloudOfGraphHost, cloudOfManagementHost, findCloud, resolveCloud, resolveClouds } from './resolve-cloud.js';
