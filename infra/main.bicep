// The bot on Azure: a user-assigned managed identity that is the bot (no secret for it anywhere), an
// App Service plan and Linux Web App run from the zip that `npm run bundle` makes, the Azure Bot with
// its Teams channel, a Key Vault with the secrets the bot reads, Log Analytics and Application
// Insights, and, for more than one instance, PostgreSQL signed in to with the identity's Entra tokens.
// See infra/README.md for what was checked against which of Microsoft's templates.

targetScope = 'resourceGroup'

@minLength(3)
@maxLength(12)
@description('Start of every resource name: lower-case letters and digits.')
param baseName string = 'ocpgtm'

param location string = resourceGroup().location

@description('App Service plan SKU: Basic (B1) or higher, which Always On needs; Standard or Premium for more than 3 instances.')
param appServicePlanSku string = 'B1'

@minValue(1)
@maxValue(30)
@description('Instances of the Web App. More than one needs the shared PostgreSQL store, which is then deployed.')
param instanceCount int = 1

@description('Deploy PostgreSQL for the store. Needed (and on by default) with more than one instance; with one, SQLite on the Web App\'s /home.')
param deployDatabase bool = instanceCount > 1

@description('PostgreSQL Flexible Server compute: a Burstable size by default.')
param databaseSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param databaseSkuTier string = 'Burstable'

@description('Display name of the Azure Bot, as Teams shows it.')
@maxLength(42)
param botDisplayName string = 'OCP GTM migration'

@allowed([
  'F0'
  'S1'
])
@description('Azure Bot SKU: the Teams channel is a standard channel, free on F0.')
param botSku string = 'F0'

@description('Purge protection on the Key Vault: irreversible, and it keeps the vault\'s name taken for 7 days after a delete.')
param keyVaultPurgeProtection bool = false

@secure()
@minLength(16)
@description('NOTIFY_TOKEN: the bearer token release pipelines post certification changes with.')
param notifyToken string

@secure()
@minLength(32)
@description('ADMIN_TOKEN: the token of the import endpoint.')
param adminToken string

@secure()
@description('SUPPORT_WEBHOOK_SECRET, when SUPPORT_DELIVERY is webhook (appSettings.json); empty leaves it out.')
param supportWebhookSecret string = ''

@secure()
@description('PARTNER_CENTER_CLIENT_SECRET, when the Partner Center sync is set up (appSettings.json); empty leaves it out.')
param partnerCenterClientSecret string = ''

var prefix = toLower(baseName)
var suffix = uniqueString(resourceGroup().id, prefix)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${prefix}-identity'
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    baseName: prefix
    location: location
  }
}

module vault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv${suffix}'
    location: location
    readerPrincipalId: identity.properties.principalId
    purgeProtection: keyVaultPurgeProtection
    notifyToken: notifyToken
    adminToken: adminToken
    supportWebhookSecret: supportWebhookSecret
    partnerCenterClientSecret: partnerCenterClientSecret
  }
}

module database 'modules/database.bicep' = if (deployDatabase) {
  name: 'database'
  params: {
    name: '${prefix}-pg-${suffix}'
    location: location
    skuName: databaseSkuName
    skuTier: databaseSkuTier
    administratorName: identity.name
    administratorObjectId: identity.properties.principalId
  }
}

module webApp 'modules/webApp.bicep' = {
  name: 'webApp'
  params: {
    planName: '${prefix}-plan'
    siteName: '${prefix}-${suffix}'
    location: location
    sku: appServicePlanSku
    instanceCount: instanceCount
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    identityTenantId: identity.properties.tenantId
    identityName: identity.name
    secretUris: vault.outputs.secretUris
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    databaseHost: deployDatabase ? database!.outputs.host : ''
    databaseName: deployDatabase ? database!.outputs.databaseName : ''
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${prefix}-bot-${suffix}'
    displayName: botDisplayName
    sku: botSku
    messagingEndpoint: 'https://${webApp.outputs.hostName}/api/messages'
    identityClientId: identity.properties.clientId
    identityTenantId: identity.properties.tenantId
    identityResourceId: identity.id
  }
}

@description('MicrosoftAppId for `npm run package`: the identity\'s client id is the bot\'s id.')
output MicrosoftAppId string = identity.properties.clientId
output MicrosoftAppTenantId string = identity.properties.tenantId
@description('BOT_DOMAIN for `npm run package`.')
output BOT_DOMAIN string = webApp.outputs.hostName
output webAppName string = webApp.outputs.name
output botName string = bot.outputs.name
output keyVaultName string = vault.outputs.name
output databaseHost string = deployDatabase ? database!.outputs.host : ''
