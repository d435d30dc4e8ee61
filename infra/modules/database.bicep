// The shared store for several instances: PostgreSQL Flexible Server with Microsoft Entra
// authentication only. No password exists: the bot's identity is the server's Entra administrator
// and signs in with its tokens (DATABASE_AUTH=entra).

param name string
param location string
param skuName string
param skuTier string

@description('The identity\'s name: its PostgreSQL role, and the user in DATABASE_URL.')
param administratorName string

@description('The identity\'s object (principal) id.')
param administratorObjectId string

@allowed([
  '15'
  '16'
  '17'
])
param version string = '17'

param databaseName string = 'bot'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: 32
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = {
  parent: server
  name: administratorObjectId
  properties: {
    principalName: administratorName
    principalType: 'ServicePrincipal'
    tenantId: tenant().tenantId
  }
}

// After the administrator: a database made before one exists belongs to azuresu, and no one else may use it.
resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    administrator
  ]
}

// 0.0.0.0 to 0.0.0.0 is Azure's rule for "services within Azure": the Web App's outbound addresses.
// One change after another: the server takes its child resources one at a time.
resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

output host string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
