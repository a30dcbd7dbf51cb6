# The pace as a user sees it: told limits are kept, untold ones are learned, and -Verbose says why.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
}

Describe 'The pace follows the portal' {
    BeforeEach { $portal = Start-TestPortal }
    AfterEach { Stop-TestPortal $portal }

    It 'untold, it learns the burst from the first refusal, says so in -Verbose and shows it on the connection' {
        Set-PortalLimit $portal -Rate 10 -Burst 4
        $ids = @(Add-PortalLead $portal -Count 600 -Fields @{ TITLE = 'before' })
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
        Clear-PortalLog $portal
        $verbose = $ids | ForEach-Object { @{ ID = $_; TITLE = 'paced' } } | Set-B24Lead -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $changes = @($verbose.Message -like 'Pace now*')
        $changes.Count | Should -BeGreaterThan 0
        $changes[0] | Should -Match 'QUERY_LIMIT_EXCEEDED'
        (Get-Bitrix24Connection).Pace | Should -Match 'burst [2-4] '
        (Get-PortalStat $portal).rateLimited | Should -BeLessOrEqual 3
        $ids | ForEach-Object { (Get-PortalLead $portal $_).TITLE | Should -Be 'paced' }
    }

    It 'told, it keeps the told pace and is never refused' {
        Set-PortalLimit $portal -Rate 10 -Burst 4
        $ids = @(Add-PortalLead $portal -Count 600 -Fields @{ TITLE = 'before' })
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 10 -Burst 4
        Clear-PortalLog $portal
        $ids | ForEach-Object { @{ ID = $_; TITLE = 'told' } } | Set-B24Lead
        (Get-PortalStat $portal).rateLimited | Should -Be 0
        (Get-Bitrix24Connection).Pace | Should -Match '^10/s, burst 4 \(as told\)'
    }
}
