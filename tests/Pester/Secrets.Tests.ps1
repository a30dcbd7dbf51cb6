# The webhook secret is a credential: nothing a user can see or keep may show it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo -Secret 'pst7Kq2hidden9secret'
    $secret = $portal.Secret
}
AfterAll { Stop-TestPortal $portal }

Describe 'The webhook secret never shows' {
    It 'in a transcript of a session run with -Verbose and -Debug, errors included' {
        $transcript = Join-Path $TestDrive 'session.txt'
        $Error.Clear()
        Start-Transcript -Path $transcript
        try {
            Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -Verbose -Debug
            Set-B24Lead -Id 1601 -Title 'transcribed' -Verbose -Debug
            Get-B24Lead -Filter @{ STATUS_ID = 'NEW' } -First 3 -Verbose -Debug | Format-Table | Out-Host
            Set-B24Lead -Id 999999 -Title 'missing' -Verbose -ErrorAction Continue
            Get-Bitrix24Connection | Format-List * | Out-Host
            $Error | Out-Host
        } finally {
            Stop-Transcript
        }
        $text = Get-Content $transcript -Raw
        $text | Should -Match 'POST crm.lead.update'            # the verbose lines were really captured
        $text | Should -Match '999999'
        $text | Should -Not -Match $secret
    }

    It 'in $Error records, their exceptions and inner exceptions' {
        $Error.Clear()
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
        Set-B24Lead -Id 999999 -Title 'x' -ErrorAction SilentlyContinue
        try { Connect-Bitrix24 -WebhookUrl ($portal.WebhookUrl -replace '127\.0\.0\.1:\d+', '127.0.0.1:1') -RetryCount 0 } catch { }
        try { Connect-Bitrix24 -WebhookUrl ($portal.WebhookUrl -replace $secret, 'wrong-secret') } catch { }
        $Error.Count | Should -BeGreaterOrEqual 3
        $everything = foreach ($record in $Error) {
            $record | Format-List * -Force | Out-String
            $exception = $record.Exception
            while ($exception) { $exception | Format-List * -Force | Out-String; $exception.ToString(); $exception = $exception.InnerException }
        }
        ($everything -join "`n") | Should -Not -Match $secret
    }

    It 'in the connection object, however it is shown' {
        $connection = Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -PassThru
        $shown = @(
            $connection | Format-List * -Force | Out-String
            $connection | Format-Table * | Out-String
            $connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            "$connection"
            Get-Bitrix24Connection | Select-Object * | Out-String
        ) -join "`n"
        $shown | Should -Match '127\.0\.0\.1'
        $shown | Should -Not -Match $secret
    }
}
