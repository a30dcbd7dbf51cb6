BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
}

Describe 'Bitrix24 module' {
    It 'exports exactly the cmdlets its assembly defines' {
        $module = Get-Module Bitrix24
        $inAssembly = $module.ImplementingAssembly.GetTypes() |
            ForEach-Object { [System.Attribute]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute]) } |
            Where-Object { $_ } | ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName }
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($inAssembly | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }
}

Describe 'A portal over loopback HTTP' {
    BeforeAll { $portal = Start-TestPortal -Demo }
    AfterAll { Stop-TestPortal $portal }

    It 'updates a lead with one plain call' {
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
        Clear-PortalLog $portal
        Set-B24Lead -Id 1608 -Title 'Pester title'
        $calls = Get-PortalCall $portal crm.lead.update
        $calls.Count | Should -Be 1
        $calls[0].parameters.fields.TITLE | Should -Be 'Pester title'
        (Get-PortalLead $portal 1608).TITLE | Should -Be 'Pester title'
    }
}
