import { resolveClouds } from '../clouds/index.js';
import { loadConfig, settingsForCloud } from '../config/index.js';
import { buildConnectorVariant, type ConnectorVariant } from './build.js';
import { loadConnectorSource } from './source.js';

/**
 * The variants `connector build` writes: the clouds of `cloud` (a name, `all`), else of the config's `clouds`,
 * else all four. The client id is, by precedence, cloudSettings.<cloud>.clientId, connector.clientId, clientId;
 * the redirect URL cloudSettings.<cloud>.redirectUrl, connector.redirectUrl, the cloud table.
 * Everything is built in memory before anything is written.
 */
export function buildConnectors(options: { cwd: string; cloud?: string | readonly string[]; configPath?: string; sourceRoot?: string }): ConnectorVariant[] {
  const { config } = loadConfig({ cwd: options.cwd, explicitPath: options.configPath });
  const clouds = resolveClouds(options.cloud ?? config.clouds);
  const source = loadConnectorSource(options.sourceRoot);
  return clouds.map((cloud) => {
    const settings = settingsForCloud(config, cloud.id);
    const clientId = config.cloudSettings?.[cloud.id]?.clientId ?? config.connector?.clientId ?? settings.clientId;
    return buildConnectorVariant(source, cloud, {
      ...(clientId !== undefined ? { clientId } : {}),
      ...(settings.redirectUrl !== undefined ? { redirectUrl: settings.redirectUrl } : {}),
    });
  });
}
