#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A small Pester 5 suite for pwsh users (the full suite is xunit: `dotnet test`).
# Run after `dotnet build`:  Invoke-Pester ./tests/Pester   (or ./build.ps1 Test)

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '../../out/Bitrix24'
    Import-Module $modulePath -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module Bitrix24 -ErrorAction SilentlyContinue
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

    It 'has full help for <_>' -ForEach @('Connect-Bitrix24', 'Get-B24Lead', 'Set-B24Lead', 'Invoke-B24Method') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Sandbox round trip' {
    BeforeAll { Connect-Bitrix24 -Sandbox }
    AfterAll { Disconnect-Bitrix24 }

    It 'updates a lead and reads it back' {
        $lead = Set-B24Lead -Id 1608 -Title 'Pester title' -Opportunity 12500 -PassThru
        $lead.TITLE | Should -Be 'Pester title'
        $lead.OPPORTUNITY | Should -Be 12500
    }

    It 'sends only what changed on a lead object' {
        $lead = Get-B24Lead -Id 1601
        $lead.COMMENTS = 'from Pester'
        $lead | Set-B24Lead
        (Get-B24Lead -Id 1601).COMMENTS | Should -Be 'from Pester'
    }

    It 'refuses an unknown field before sending' {
        { Set-B24Lead -Id 1608 -Fields @{ STATUS = 'NEW' } -ErrorAction Stop } | Should -Throw '*Did you mean STATUS_ID*'
    }
}
