import SearchForm from './search-form'

export default function Home() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Find your next home</h1>
        <p className="lede">
          Tell us your budget and what matters to you. To buy, we rank 21,430 King County, WA homes (2014–15 sales)
          with the <code>@mira/core</code> engine, estimate what each is worth, and say why it fits. To rent, we rank
          4,746 real rentals listed April–July 2022 in six Indian cities (in rupees), plus a few in Seattle (in dollars),
          by your monthly budget, move-in date and stay. To invest, we add 14 hand-written King County homes with the
          rent each would fetch (examples, not market data) and rank by gross yield, cash flow after your mortgage and
          value.
        </p>
      </header>
      <SearchForm />
    </main>
  )
}
