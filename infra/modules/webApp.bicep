// The Linux App Service plan and the Web App the bot runs in: Node 24 LTS, Always On, HTTPS only,
// TLS 1.2 at least, no FTP, /healthz as health check, run from the deployed zip, as the identity.
// Its settings: infra/appSettings.json, and the few only this deployment knows (below).

param planName string
param siteName string
param location string
param sku string
param instanceCount int
param identityResourceId string
param identityClientId string
param identityTenantId string
@description('The identity\'s name: its role on the database.')
param identityName string
@description('Versionless Key Vault secret URIs by setting name; empty for a secret not given.')
param secretUris object
param appInsightsConnectionString string
param logAnalyticsWorkspaceId string
@description('The PostgreSQL server\'s host name; empty for SQLite on the Web App\'s /home.')
param databaseHost string
param databaseName string

// "bot": settings of bot/config.ts; "platform": App Service's own. test/infra/appSettings.test.ts checks both.
var settingsFile = loadJsonContent('../appSettings.json')

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  kind: 'linux'
  sku: {
    name: sku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: siteName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Any instance takes any request: no affinity cookie.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node --enable-source-maps --max-old-space-size=256 dist/bot/main.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(
    settingsFile.platform,
    settingsFile.bot,
    {
      MicrosoftAppId: identityClientId
      MicrosoftAppTenantId: identityTenantId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      NOTIFY_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretUris.NOTIFY_TOKEN})'
      ADMIN_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretUris.ADMIN_TOKEN})'
      // SQLite's file on /home, which outlives restarts; with PostgreSQL only the admin access file, per instance.
      DATA_DIR: empty(databaseHost) ? '/home/data' : '/tmp/ocp-gtm-migration-bot'
    },
    empty(databaseHost)
      ? {}
      : {
          DATABASE_URL: 'postgres://${identityName}@${databaseHost}:5432/${databaseName}?sslmode=verify-full'
          DATABASE_AUTH: 'entra'
        },
    empty(secretUris.SUPPORT_WEBHOOK_SECRET)
      ? {}
      : {
          SUPPORT_WEBHOOK_SECRET: '@Microsoft.KeyVault(SecretUri=${secretUris.SUPPORT_WEBHOOK_SECRET})'
        },
    empty(secretUris.PARTNER_CENTER_CLIENT_SECRET)
      ? {}
      : {
          PARTNER_CENTER_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${secretUris.PARTNER_CENTER_CLIENT_SECRET})'
        }
  )
}

// The bot's JSON lines (console), HTTP and platform logs, in the workspace next to Application Insights.
resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = site.name
output hostName string = site.properties.defaultHostName
